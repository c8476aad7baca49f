"""Streamlit pieces of the Frontline Atlas dashboard (the only package besides the app that may
import streamlit; the core in ``geo/`` never does)."""
