"""Test and benchmark harness: servers, nginx, Chromium, scripted Streamlit sessions.

Not deployment (that is ``deploy/``): tests and benchmarks import it.
"""
