package bert
