sample-hello = ¡Hola, { $name }!
