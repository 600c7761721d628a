"""ASN training-evaluation toolkit.

Evaluate civil-service training the Kirkpatrick way (reaction, learning, behaviour,
results) and the Phillips way (ROI), with Indonesian public-sector standards built in.
Submodules are imported on demand (``toolkit.data``, ``toolkit.reaction`` …), so that
``import toolkit`` stays fast.
"""

from toolkit.resources import sample_data_dir as _sample_data_dir

__version__ = "0.1.0"

#: The synthetic sample data shipped with the project (a folder of CSV files), found in a
#: clone and in an installed package alike (:mod:`toolkit.resources`).
SAMPLE_DATA = _sample_data_dir()
