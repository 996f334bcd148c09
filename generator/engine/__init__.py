"""Building and serving the site: the pipeline, the engines' glue, the new-contract scaffold."""
