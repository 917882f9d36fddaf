"""Running the pipeline on a Ray cluster: the same stages and the same records as a local build.

`builder build --backend ray [--address HOST:PORT]` sends the per-page stages to Ray
tasks (see ray_backend.py) and runs the near-duplicate step as a distributed group-by
on LSH band keys followed by connected components (see neardup.py). docs/scale.md
says why Ray and how to point a build at a real cluster.
"""
