"""Reading an OSO dossier: safe XML, the XSD, Edustandaard's official business rules, and the
mapping onto the domain's ``OsoDossier``."""
