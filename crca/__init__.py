"""The ground of the CRCA practice bot: settings, model backends, prompt loading, text utilities.

It imports no domain package; everything else may import it.
"""
