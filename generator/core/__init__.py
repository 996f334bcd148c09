"""The shared ground: problems and their codes, the registry of collections, YAML documents, the model."""
