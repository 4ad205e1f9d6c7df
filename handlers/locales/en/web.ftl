# The web workspace (/web) and the subscriber's appeal links.

web_off = The web workspace is not set up: the operator sets DOZOR_WEB_URL.
web_sent = { $name }, a sign-in link is in your private messages (one use, works for { $minutes } min).
web_link = Dozor's workspace: { $url }
    The link works once, for { $minutes } min. Do not forward it.
web_undelivered_telegram = { $name }, I cannot write to you privately: open the chat with me ({ $chat }) and press Start — the link comes there.
web_undelivered_vk = { $name }, I cannot write to you privately: allow messages from the community (the community's page → Message / Allow messages), then type /web here again.
web_undelivered = { $name }, I cannot write to you privately ({ $error }). Write to me privately and type /web there.
web_button = Open the workspace
appeal_button = Appeal
appeal_page_line = Appeal: { $url }
ban_comment = You can appeal this decision: { $url }
