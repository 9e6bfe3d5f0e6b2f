"""Pure domain code: no Flask imports."""
