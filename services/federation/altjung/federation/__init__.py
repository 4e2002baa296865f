"""The federation service: BaS read model of aggregates across partner sites, no personal data."""
