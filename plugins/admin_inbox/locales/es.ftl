inbox-received = ¡Gracias! Tu mensaje ha llegado a los operadores; te responderán aquí.
inbox-closed = Esta conversación está cerrada. Escríbenos de nuevo cuando nos necesites.
inbox-media-kinds = Puedo hacer llegar a los operadores textos, fotos y documentos.

command-inbox = Conversaciones abiertas, primero las más urgentes y antiguas
command-reply = Responder a una conversación: /reply <conversación> <texto>
command-close = Cerrar una conversación: /close <conversación>
command-assign = Asignar una conversación: /assign <conversación> [@admin o id]
command-inbox_stats = La bandeja de entrada en cifras
