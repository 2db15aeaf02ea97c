"""Importers of other tools' data: NetBox dumps and Azure Migrate discovery CSVs.

Spreadsheets people keep by hand are imported by :mod:`govcloud.tabular`.
"""
