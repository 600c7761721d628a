"""ASN training-evaluation toolkit.

Evaluate civil-service training the Kirkpatrick way (reaction, learning, behaviour,
results) and the Phillips way (ROI), with Indonesian public-sector standards built in.
Submodules are imported on demand (``toolkit.data``, ``toolkit.reaction`` …), so that
``import toolkit`` stays fast.
"""

from pathlib import Path

__version__ = "0.1.0"

#: The synthetic sample data shipped with the project (a folder of CSV files).
SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"
