"""Deployment of several dashboard processes behind nginx: config template, renderer, scripts."""
