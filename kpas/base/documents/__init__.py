"""The documents pipeline: a PDF is a stored row (`kpas.base.models.Document`), rendered by the
named task `kpas.documents.render`, shown with progress and downloaded when ready.

Each app registers its kinds of document in its `AppConfig.ready()` (`registry.register`), so
this floor never imports the apps above it. Pages ask for a document with
`services.document_request`, then send the user to `documents:progress`.
"""
