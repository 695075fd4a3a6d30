"""The portal's documents as Word files (.docx, python-docx): ``common`` holds the page, the fonts and the blocks
they share; each other module builds one document from the same context as its PDF and page."""
