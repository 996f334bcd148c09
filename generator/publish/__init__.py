"""What is published beside the pages: open data, feed, PDF, published addresses."""
