from django.contrib.auth.models import AbstractUser
from django.db import models
from django_scim.models import AbstractSCIMGroupMixin, AbstractSCIMUserMixin


class Group(AbstractSCIMGroupMixin):
    name = models.CharField(max_length=254)


class User(AbstractSCIMUserMixin, AbstractUser):
    # django-scim2's group adapter reads a group's members as `user_set`.
    scim_groups = models.ManyToManyField(Group, related_name="user_set", blank=True)
