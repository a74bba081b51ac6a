"""Scenarios: disruptions declared as rules over the estate, simulated to show what survives,
what can be restored, in which order and how long it takes; and the playbooks that follow."""
