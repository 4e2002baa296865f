"""portal: the server-rendered web UI (German first), an OAuth client of identity."""
