"""The web service: HTTP requests (report files, texts, Label Studio tasks) → labels, summaries, pages.

``service`` and ``labelstudio`` do the work and return data (raising the package's errors);
``app`` and its routers (``routes``, ``labelstudio_routes``) turn requests into calls and
errors into JSON; ``server`` starts uvicorn; ``static/`` holds the reviewers' page.
"""
