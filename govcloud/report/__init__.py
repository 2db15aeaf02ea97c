"""Rendering results for people: terminal tables and Markdown, in Chinese or English."""
