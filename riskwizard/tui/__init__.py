"""The Textual wizard: a thin layer over the domain (answers, assessment, engine, calc).

Nothing in the domain imports this package. Every piece of user- or questionnaire-supplied text
is rendered without markup (see :func:`riskwizard.tui.text.plain`).
"""
