"""HTTP routes, one module per domain; each exports ``routes`` and ``operations``."""
