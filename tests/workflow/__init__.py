"""End-to-end workflow tests through the simulated platform."""
