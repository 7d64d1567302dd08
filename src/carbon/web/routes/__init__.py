"""The application's routers, in the order they are mounted."""

from carbon.web.routes import auth, lines, workspace

ROUTERS = (auth.router, workspace.router, lines.router)
