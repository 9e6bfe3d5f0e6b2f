"""HTTP views, one module per area; each view is: load the request, call the core, dump the response."""
