"""The field catalogue of the Oki-doc: field types, the catalogue data, parsing typed input, and
sample content.
"""
