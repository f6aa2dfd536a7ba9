"""``python -m web``: serve the dashboard, embeds and downloads (``web/app.py``);
``python -m web embeds``: write the static embeds (``web/export.py``)."""

import sys

from web import app, export

if __name__ == "__main__":
    if sys.argv[1:2] == ["embeds"]:
        sys.exit(export.main(sys.argv[2:]))
    app.main(sys.argv[1:])
