"""The simulated client: director, guards, simulator and the conversation loop."""
