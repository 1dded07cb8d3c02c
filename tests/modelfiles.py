"""What the tests that tamper with a saved model share."""
from __future__ import annotations

import json
from pathlib import Path


def rehash(model: Path) -> None:
    """Fix the card's hashes after a change to the model's files, as one who controls the whole directory can."""
    from classifier.model.persistence import ARRAYS, CARD, STATE, sha256

    card = json.loads((model / CARD).read_text(encoding="utf-8"))
    card["artifacts"] = {name: sha256(model / name) for name in (ARRAYS, STATE)}
    (model / CARD).write_text(json.dumps(card), encoding="utf-8")
