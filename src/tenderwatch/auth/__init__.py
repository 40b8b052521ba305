"""Users, roles and jurisdictions (grants of role × region prefix × industries)."""
