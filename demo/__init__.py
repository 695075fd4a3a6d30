"""The demo district: demo data and the seed_demo command (top layer, may import every app)."""
