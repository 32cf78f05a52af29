"""The default Word template of the periodic report (see build_default.py)."""

from pathlib import Path

DEFAULT = Path(__file__).parent / "bao-cao-mac-dinh.docx"
FONT = "Times New Roman"
