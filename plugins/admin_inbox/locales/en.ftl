# The admin inbox plugin's texts (what users are told; the operators' side follows).

inbox-received = Thanks! Your message reached the operators; they will answer here.
inbox-closed = This conversation is closed. Write again whenever you need us.
inbox-media-kinds = I can pass on text, photos and documents to the operators.

command-inbox = Open conversations, most urgent and oldest first
command-reply = Answer a conversation: /reply <conversation> <text>
command-close = Close a conversation: /close <conversation>
command-assign = Assign a conversation: /assign <conversation> [@admin or id]
command-inbox_stats = The inbox in figures

inbox-admin-hint = To answer a user, reply to their message, press Reply, or send /reply <conversation> <text>. /inbox lists open conversations.
inbox-not-a-number = “{ $value }” is not a conversation number (such as 12 or #12).
inbox-only-these-kinds = Only text, photos and documents can be sent to users.
inbox-sent = Sent to #{ $id }.
inbox-usage = Usage: /inbox [page]
inbox-reply-usage = Usage: /reply <conversation> <text>
inbox-close-usage = Usage: /close <conversation>
inbox-assign-usage = Usage: /assign <conversation> [@admin or id]
inbox-closed-it = #{ $id } closed.
inbox-unknown-admin = I don't know { $ref }.
inbox-assigned-you = #{ $id } assigned to you.
inbox-assigned = #{ $id } assigned to { $admin }.
inbox-empty = No open conversations.
inbox-no-page = There is no page { $page }.
inbox-queue-title = Open conversations, page { $page } of { $pages }:
inbox-reopen-to-answer = #{ $id } is closed. Reopen it to answer.
inbox-write-answer = Write your answer to #{ $id } as a reply to this message.
inbox-answering = Answering #{ $id }
inbox-reopened = #{ $id } reopened.
inbox-yours = #{ $id } is yours.
inbox-cannot-ban-admin = Admins cannot be banned.
inbox-user-banned = User { $user } banned.
inbox-user-unbanned = User { $user } unbanned.
