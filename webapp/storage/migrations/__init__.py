"""Alembic migrations of the app's database (shipped inside the package, run by `crca db upgrade`)."""
