"""What is shown: event filters and the dashboard's view state (its query parameters).

- :mod:`geo.view.filters` narrows events by date, faction, type, country, text and border
  distance (:func:`~geo.view.filters.filter_events`);
- :mod:`geo.view.state` is the view as a value and as stable query parameters
  (:class:`~geo.view.state.ViewState`).
"""

__all__: list[str] = []
