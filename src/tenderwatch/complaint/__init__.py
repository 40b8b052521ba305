"""Public complaints (投诉) and reports (举报): filed by anyone, routed like a warning, followed by receipt code."""
