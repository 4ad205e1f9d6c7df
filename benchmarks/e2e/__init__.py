"""What the end-to-end benchmarks share: the fake platform, the service process, traffic, the database."""
