# The admin inbox plugin's texts (what users are told; the operators' side follows).

inbox-received = Thanks! Your message reached the operators; they will answer here.
inbox-closed = This conversation is closed. Write again whenever you need us.
inbox-media-kinds = I can pass on text, photos and documents to the operators.

command-inbox = Open conversations, most urgent and oldest first
command-reply = Answer a conversation: /reply <conversation> <text>
command-close = Close a conversation: /close <conversation>
command-assign = Assign a conversation: /assign <conversation> [@admin or id]
command-inbox_stats = The inbox in figures
