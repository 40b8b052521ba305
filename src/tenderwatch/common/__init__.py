"""Small pieces shared by every domain package: identifiers, placeholders, regions, i18n text."""
