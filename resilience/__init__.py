"""resilience: cyber-recovery readiness for mixed cloud and on-premises estates."""

__version__ = "0.1.0"
