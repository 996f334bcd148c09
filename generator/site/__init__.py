"""The site's pages: addresses, Markdown and sanitising, rendering, reading aids, search fields."""
