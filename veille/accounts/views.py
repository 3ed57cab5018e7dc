from django.http import HttpResponse


def signup(request):  # replaced by the accounts work
    return HttpResponse("")


def profile(request, username):  # replaced by the accounts work
    return HttpResponse("")
