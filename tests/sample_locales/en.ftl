sample-hello = Hello, { $name }!
