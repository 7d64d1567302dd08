"""Health checks: ``/health`` answers without touching anything (the load test's baseline),
``/health/db`` says whether the database answers (for a load balancer or a supervisor)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from carbon.web.deps import SessionDep

router = APIRouter(include_in_schema=False)


@router.get("/health")
def health() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@router.get("/health/db")
def health_db(session: SessionDep) -> JSONResponse:
    session.execute(text("SELECT 1"))
    return JSONResponse({"status": "ok", "database": "ok"})
