"""Documents made from a programme's data: plain data first, then renderers per format."""
