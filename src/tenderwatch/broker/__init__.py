"""黄牛库 broker register: candidates from C18 and manual entries, judged by people, screened against bids."""
