sample-hello = Привет, { $name }!
