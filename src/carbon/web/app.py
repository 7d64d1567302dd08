"""The application factory: ``create_app(settings)`` builds everything from settings.

Nothing is created at import time, so tests build as many apps as they like, each on its own
database. Middleware order matters: Starlette runs the last added first, so security headers wrap
everything, the session is decoded before the locale is chosen from it.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from starlette.middleware.sessions import SessionMiddleware

from carbon import __version__
from carbon.coaching.dashboard import CohortTables
from carbon.config import Settings, resolve_secret_key
from carbon.db.compute import Computations
from carbon.db.session import make_engine, make_sessionmaker
from carbon.reports.pool import Renderer
from carbon.web.dashboard_data import Dashboards
from carbon.web.errors import ErrorPageMiddleware, install_error_handlers
from carbon.web.i18n import LocaleMiddleware
from carbon.web.routes import ROUTERS
from carbon.web.security import (
    FORM_MAX_BYTES,
    BodySizeLimitMiddleware,
    CSRFProtect,
    LoginRateLimiter,
    SecurityHeadersMiddleware,
    session_middleware_kwargs,
)
from carbon.web.static_assets import mount_static
from carbon.web.templating import make_templates


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.pdf.shutdown()  # the PDF renderers end with the server


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    # The resolved key replaces an unset one, so everything reading the settings signs alike.
    settings = settings.model_copy(update={"secret_key": resolve_secret_key(settings)})
    app = FastAPI(
        lifespan=_lifespan,
        title="carbon",
        version=__version__,
        description="Carbon footprints (BEGES v5, GHG Protocol) for Cluster Montagne's programmes",
        dependencies=[Depends(CSRFProtect())],
        # Swagger UI needs an inline script and a CDN, neither of which the CSP (or a server
        # without internet) allows: the schema itself is the documentation.
        docs_url=None,
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    engine = make_engine(settings, pool_pre_ping=True)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    # What the application keeps between requests (docs/architecture.md, "What is kept"):
    # handed to each request's session by web.deps.get_session.
    app.state.computations = Computations.from_settings(settings)
    app.state.dashboards = Dashboards()
    app.state.cohort_tables = CohortTables()
    app.state.pdf = Renderer(settings.pdf_workers)
    app.state.templates = make_templates()
    app.state.login_limiter = LoginRateLimiter()

    mount_static(app)
    for router in ROUTERS:
        app.include_router(router)
    install_error_handlers(app)

    app.add_middleware(ErrorPageMiddleware)
    app.add_middleware(LocaleMiddleware, default_locale=settings.default_locale)
    app.add_middleware(SessionMiddleware, **session_middleware_kwargs(settings))
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=FORM_MAX_BYTES,
        uploads=upload_limits(settings),
    )
    app.add_middleware(SecurityHeadersMiddleware)
    return app


# Room for the form around an uploaded file (its boundary, the CSRF token, the other fields).
FORM_SLACK = 256 * 1024


def upload_limits(settings: Settings) -> list[tuple[str, int]]:
    """The paths that take an uploaded file, with the largest body each accepts."""
    return [
        (r"/periods/[0-9]+/import", settings.max_upload_bytes + FORM_SLACK),
        (r"/periods/[0-9]+/import/books", settings.max_books_upload_bytes + FORM_SLACK),
        (r"/admin/factors", settings.max_factor_upload_bytes + FORM_SLACK),
    ]


def request_size_limit(settings: Settings, path: str) -> int:
    """The largest request body accepted on ``path``."""
    for pattern, limit in upload_limits(settings):
        if re.fullmatch(pattern, path):
            return limit
    return FORM_MAX_BYTES
