"""OSO dossiers in the domain's terms: the dossier, what the parents withheld, the advice codes,
and the rules of merging a dossier into the Oki-doc."""
