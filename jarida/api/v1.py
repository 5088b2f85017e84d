"""The public JSON API, version 1 (`/api/v1/`, OpenAPI schema at `/api/v1/openapi.json`).

Conventions (docs/architecture.md, "API"): ids are the article URLs' ids, URLs are
site-relative, dates are ISO 8601 with the site's offset, every error is JSON with a
`message`, invalid parameters answer 422, reads carry Cache-Control and an ETag.
"""

from jarida.api import articles, comments, search, taxonomy
from jarida.api.http import JaridaAPI, install_error_handlers

api = JaridaAPI(
    title="Jarida API",
    version="1",
    description="واجهة برمجة جريدة: المقالات المنشورة والأقسام والكتّاب والبحث والتعليقات.",
    urls_namespace="api-v1",
)
install_error_handlers(api)

api.add_router("/articles", articles.router)
api.add_router("/articles", comments.router)
api.add_router("/", taxonomy.router)
api.add_router("/", search.router)
