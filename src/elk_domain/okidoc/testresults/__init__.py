"""The pupil's test results (LVS) in the Oki-doc: scores by school year and the DLE chart."""
