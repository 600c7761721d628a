"""The course's build: per-language notebook editions (:mod:`course.editions`) and the book
(:mod:`course.build`, Sphinx configuration in ``course/conf.py``)."""
